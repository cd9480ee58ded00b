import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls'
import { Agent, EnvHttpProxyAgent, type Dispatcher, type ProxyAgent } from 'undici'

export const DEFAULT_CERTS_DIRS = ['/etc/docker/certs.d', '/etc/containers/certs.d']

/** The PEM text of every `*.crt` in `<dir>/<host:port>/`, docker's certs.d layout; none when absent. */
export async function registryCaFiles(certsDirs: readonly string[], registry: string): Promise<string[]> {
  const pems: string[] = []
  for (const dir of certsDirs) {
    const hostDir = path.join(dir, registry)
    const names = await readdir(hostDir).catch(() => [] as string[])
    for (const name of names.filter((file) => file.endsWith('.crt')).sort()) {
      pems.push(await readFile(path.join(hostDir, name), 'utf8'))
    }
  }
  return pems
}

/** The proxy settings of an environment, either case (curl's and Go's convention). */
export function proxySettings(env: NodeJS.ProcessEnv): {
  httpProxy: string
  httpsProxy: string
  noProxy: string
} {
  return {
    httpProxy: env.http_proxy ?? env.HTTP_PROXY ?? '',
    httpsProxy: env.https_proxy ?? env.HTTPS_PROXY ?? '',
    noProxy: env.no_proxy ?? env.NO_PROXY ?? '',
  }
}

const secureContexts = new Map<string, SecureContext>()

/**
 * The system roots plus a registry's CAs, made once per set of CAs in the process: given as `ca`
 * to each connection, Node parses the ~150 roots again for every one (six connections to the
 * sandbox's TLS registry: 280-670 ms, against 40-115 ms sharing one context), and the login's
 * check and the push each open their own dispatcher. Node's `ca` replaces the default roots;
 * without CAs none is made, and NODE_EXTRA_CA_CERTS keeps working too.
 */
export function secureContextTrusting(caPems: readonly string[]): SecureContext {
  const key = caPems.join('\n')
  let context = secureContexts.get(key)
  if (!context) {
    context = createSecureContext({ ca: [...rootCertificates, ...caPems] })
    secureContexts.set(key, context)
  }
  return context
}

/**
 * One keep-alive dispatcher for a registry: trusting the system roots plus its certs.d CAs, and
 * through the environment's proxy when one is set. The proxy agent is made only when needed:
 * undici prints an "experimental" warning for every EnvHttpProxyAgent.
 */
export function registryDispatcher(caPems: readonly string[], env: NodeJS.ProcessEnv): Dispatcher {
  const tlsOptions = caPems.length > 0 ? { secureContext: secureContextTrusting(caPems) } : {}
  const proxies = proxySettings(env)
  if (proxies.httpProxy === '' && proxies.httpsProxy === '') return new Agent({ connect: tlsOptions })
  // EnvHttpProxyAgent hands its options to the ProxyAgents it makes: requestTls is for the registry.
  const options: EnvHttpProxyAgent.Options & Pick<ProxyAgent.Options, 'requestTls'> = {
    ...proxies,
    connect: tlsOptions,
    requestTls: tlsOptions,
  }
  return new EnvHttpProxyAgent(options)
}
