import { serverEnv, type ServerEnv } from '@/lib/env';

/** Where the dashboard is served from: what sign-in messages must name and what mutations must come from. */
export interface WebConfig {
  /** Allowed browser origins, the first being the canonical one. */
  origins: string[];
  /** Session cookies are `Secure` whenever the dashboard is served over HTTPS. */
  secureCookies: boolean;
  /** Send HSTS (production builds). */
  production: boolean;
  /** Whether X-Forwarded-For was appended by a proxy we trust (see TRUST_PROXY). */
  trustProxy: boolean;
}

export function webConfigFrom(env: ServerEnv): WebConfig {
  const origins = env.APP_ORIGIN
    ? [new URL(env.APP_ORIGIN).origin]
    : [`http://localhost:${env.PORT}`, `http://127.0.0.1:${env.PORT}`];
  // A public deployment is served over HTTPS, and then its session cookies are Secure. Plain http is for
  // localhost or a trusted LAN (browsers would drop a Secure cookie there).
  const secureCookies = new URL(origins[0] ?? 'http://localhost').protocol === 'https:';
  return { origins, secureCookies, production: env.NODE_ENV === 'production', trustProxy: env.TRUST_PROXY };
}

let cached: WebConfig | undefined;

export function webConfig(): WebConfig {
  cached ??= webConfigFrom(serverEnv());
  return cached;
}

/**
 * The origin a sign-in message must name: the request's Origin when it is one of ours, else the canonical
 * one. Never derived from the Host header, which the client controls.
 */
export function signInOrigin(config: WebConfig, requestOrigin: string | null): URL {
  const origin = requestOrigin && config.origins.includes(requestOrigin) ? requestOrigin : config.origins[0];
  return new URL(origin ?? 'http://localhost');
}
