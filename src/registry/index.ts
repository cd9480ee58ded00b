// TEMPORARY stub of the registry client's interface (replaced by the registry branch at merge).
export interface RegistryOptions {
  authFile: string
  certsDirs?: string[]
  env?: NodeJS.ProcessEnv
  sleep?: (ms: number) => Promise<void>
  warn?: (message: string) => void
  note?: (message: string) => void
  signal?: AbortSignal
}
export declare function openRegistry(options: RegistryOptions): Registry
export interface Registry {
  repository(name: string): Repository
}
export interface Repository {
  readonly name: string
  hasBlob(digest: string): Promise<boolean>
  mountBlob(digest: string, fromName: string): Promise<boolean>
  uploadBlob(digest: string, size: number, path: string): Promise<void>
  putManifest(reference: string, mediaType: string, bytes: Uint8Array): Promise<void>
  getManifest(reference: string): Promise<{ bytes: Buffer; mediaType: string }>
  getBlob(digest: string): Promise<Buffer>
  listTags(): Promise<string[]>
}
