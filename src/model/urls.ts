/** URLs that name a place and nothing more: the form issuer and server URLs must take. */

/** The URL when it is absolute http(s) without query, fragment or user info; undefined otherwise. */
export function plainHttpUrl(text: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const http = url.protocol === 'http:' || url.protocol === 'https:';
  return http && !url.search && !url.hash && !url.username && !url.password ? url : undefined;
}
