/**
 * E-mail addresses and web domains as comparable keys.
 *
 * An address is lower-cased and trimmed of "mailto:"; for Gmail the dots and a "+tag" of the local
 * part are dropped, as Gmail itself ignores them. The domain of an address and of a website
 * ("https://www.abc.com.vn/lien-he") are one kind of value, so a firm whose e-mail is at another's
 * website domain is linked to it. Public webmail and hosting domains are not a link: thousands of
 * unrelated firms use gmail.com.
 */

export const PUBLIC_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.com.vn', 'ymail.com', 'rocketmail.com', 'hotmail.com',
  'hotmail.com.vn', 'outlook.com', 'outlook.com.vn', 'live.com', 'msn.com', 'icloud.com', 'me.com', 'mac.com',
  'aol.com', 'mail.com', 'gmx.com', 'gmx.net', 'zoho.com', 'yandex.com', 'yandex.ru', 'protonmail.com', 'proton.me',
  'qq.com', '163.com', '126.com', 'naver.com', 'fpt.vn', 'vnn.vn', 'hn.vnn.vn', 'hcm.vnn.vn', 'fpt.com.vn', 'viettel.vn',
  'blogspot.com', 'wordpress.com', 'facebook.com', 'fb.com', 'google.com', 'sites.google.com', 'wixsite.com',
  'business.site', 'masothue.com', 'trangvangvietnam.com', 'yellowpages.vn', 'zalo.me',
]);

export interface NormalEmail {
  email: string;
  domain: string;
  /** the domain is public webmail or hosting: not evidence of a link */
  publicDomain: boolean;
}

const EMAIL = /[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}/g;

export function isPublicDomain(domain: string): boolean {
  return PUBLIC_DOMAINS.has(domain);
}

/** Every e-mail address in a cell, normalised, without repeats. */
export function normalizeEmails(raw: string): NormalEmail[] {
  if (!raw) return [];
  const out: NormalEmail[] = [];
  const s = raw.toLowerCase().replace(/mailto:/g, '').replace(/\s*(?:\[at\]|\(at\))\s*/g, '@');
  for (const m of s.match(EMAIL) ?? []) {
    let [local, domain] = m.split('@') as [string, string];
    domain = domain.replace(/^\.+|\.+$/g, '');
    if (domain === 'googlemail.com') domain = 'gmail.com';
    if (domain === 'gmail.com') local = local.replace(/\+.*$/, '').replace(/\./g, '');
    const email = `${local}@${domain}`;
    if (!out.some((e) => e.email === email)) out.push({ email, domain, publicDomain: isPublicDomain(domain) });
  }
  return out;
}

/** The domain of a website or URL ("https://www.abc.vn/x" → "abc.vn"), or null. */
export function websiteDomain(raw: string): string | null {
  if (!raw) return null;
  let s = raw.trim().toLowerCase();
  s = s.replace(/^[a-z]+:\/\//, '').replace(/^www\d*\./, '');
  s = s.split(/[/?#\s:]/)[0].replace(/\.+$/, '');
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(s)) return null;
  return s;
}
