// The registry clients with a skopeo or docker that never answers: each call is stopped at its
// limit and reported naming the command and the reference, never retried (#11, item 8).
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Imagetools, Skopeo } from '../../../src/push/registry-client.js'
import { TIMEOUTS } from '../../../src/runner/timeouts.js'
import { hangingTool } from '../hanging-tool.js'

const SHORT = { ...TIMEOUTS, push: 200, readBack: 200, listTags: 200 }
const noSleep = () => Promise.resolve()
const DIGEST = `sha256:${'a'.repeat(64)}`

let work: string
beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'bsp-registry-client-'))
})
afterEach(() => rmSync(work, { recursive: true, force: true }))

describe('Skopeo', () => {
  test('a push that hangs fails naming skopeo copy and the destination, after one attempt', async () => {
    const skopeo = hangingTool(work, 'skopeo')
    const client = new Skopeo(skopeo.path, path.join(work, 'config.json'), noSleep, SHORT)
    await expect(
      client.copyLayout(path.join(work, 'layout'), DIGEST, 'registry.example/acme/app:1.2.3'),
    ).rejects.toThrow('skopeo copy to registry.example/acme/app:1.2.3 timed out after 200ms and was stopped')
    expect(skopeo.calls().map((argv) => argv[0])).toEqual(['copy'])
  })

  test('a read-back and a tag listing that hang fail naming the command and the reference', async () => {
    const skopeo = hangingTool(work, 'skopeo')
    const client = new Skopeo(skopeo.path, path.join(work, 'config.json'), noSleep, SHORT)
    await expect(client.readManifest('registry.example/acme/app:1.2.3')).rejects.toThrow(
      'skopeo inspect --raw registry.example/acme/app:1.2.3 timed out after 200ms and was stopped',
    )
    await expect(client.listTags('registry.example/acme/app')).rejects.toThrow(
      'skopeo list-tags registry.example/acme/app timed out after 200ms and was stopped',
    )
  })
})

describe('Imagetools', () => {
  test('a push and a read-back that hang fail naming docker buildx imagetools and the reference', async () => {
    const docker = hangingTool(work, 'docker')
    const client = new Imagetools(docker.path, path.join(work, 'docker-config'), '', noSleep, SHORT)
    await expect(
      client.copyLayout(path.join(work, 'layout'), DIGEST, 'registry.example/acme/app:1.2.3'),
    ).rejects.toThrow(
      'docker buildx imagetools create registry.example/acme/app:1.2.3 timed out after 200ms and was stopped',
    )
    await expect(client.readManifest(`registry.example/acme/app@${DIGEST}`)).rejects.toThrow(
      `docker buildx imagetools inspect --raw registry.example/acme/app@${DIGEST} timed out after 200ms and was stopped`,
    )
    expect(docker.calls()).toHaveLength(2)
  })
})
