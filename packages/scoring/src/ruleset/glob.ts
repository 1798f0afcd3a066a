// Glob patterns for URLs and e-mail addresses: `**` matches anything, `*` anything but "/",
// `?` one character but "/". Everything else is literal.
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += escapeRegExp(char);
    }
  }
  return new RegExp(`^${source}$`, 's');
}

export function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?|()[\]{}]/g, '\\$&');
}

const SCHEME_AND_HOST = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;

/**
 * Marketers write page rules as paths ("/pricing"), while trackers send full URLs. When a pattern
 * starts with "/", it is matched against the path of the value: scheme and host, query and fragment
 * are ignored, and a bare host counts as "/".
 */
export function urlPathOf(value: string): string {
  const withoutOrigin = value.replace(SCHEME_AND_HOST, '');
  const end = withoutOrigin.search(/[?#]/);
  const path = end === -1 ? withoutOrigin : withoutOrigin.slice(0, end);
  return path === '' ? '/' : path;
}
