/**
 * A warehouse location fit for messages and logs: a URL's password becomes ***; a file path
 * (or anything that is not a URL) is returned as is. The one place this is written.
 */
export function redactUrl(location: string): string {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return location;
  }
  if (!url.password) return location;
  url.password = '***';
  return url.toString();
}
