import type { NextResponse } from 'next/server';
import type { WebConfig } from '@/lib/auth/web-config';
import { SESSION_COOKIE } from '@/lib/auth/sessions';

/** The session cookie: HttpOnly (no script reads it), SameSite=Lax, Secure whenever served over HTTPS. */
export function setSessionCookie(response: NextResponse, web: WebConfig, token: string, expires: Date): void {
  response.cookies.set(SESSION_COOKIE, token, {
    httpOnly: true,
    secure: web.secureCookies,
    sameSite: 'lax',
    path: '/',
    expires,
  });
}

export function clearSessionCookie(response: NextResponse, web: WebConfig): void {
  response.cookies.set(SESSION_COOKIE, '', {
    httpOnly: true,
    secure: web.secureCookies,
    sameSite: 'lax',
    path: '/',
    maxAge: 0,
  });
}
