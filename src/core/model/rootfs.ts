/**
 * Root file system providers of a cell, keyed by URL scheme, as in Diego's rep:
 * `{"docker":{"type":"arbitrary"},"preloaded":{"type":"fixed_set","set":{"cflinuxfs4":{}}}}`.
 */
export type RootFSProvider =
  | { type: 'arbitrary' }
  | { type: 'fixed_set'; set: Record<string, Record<string, never>> };

/** A cell's providers by scheme. */
export type RootFSProviders = Record<string, RootFSProvider>;

/** The parts of a rootfs URL that matching needs. */
export interface RootFSURL {
  /** The scheme, lower-cased (`preloaded`, `docker`); empty when the string has none. */
  scheme: string;
  /** The opaque part after `scheme:` when it does not start with `/` (`cflinuxfs4`); else empty. */
  opaque: string;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s;

/**
 * Splits a rootfs URL the way Go's `url.Parse` does for the parts Diego uses.
 * `preloaded:cflinuxfs4` has the opaque part `cflinuxfs4`; `docker:///busybox` has none.
 */
export function parseRootFS(rootfs: string): RootFSURL {
  const known = PARSED.get(rootfs);
  if (known) return known;
  const url = splitRootFS(rootfs);
  // A pure memo: a foundation uses a handful of rootfs strings, parsed once each.
  if (PARSED.size > 10_000) PARSED.clear();
  PARSED.set(rootfs, url);
  return url;
}

const PARSED = new Map<string, RootFSURL>();

function splitRootFS(rootfs: string): RootFSURL {
  const m = SCHEME.exec(rootfs);
  if (!m) return Object.freeze({ scheme: '', opaque: '' });
  const rest = m[2] ?? '';
  let opaque = '';
  if (!rest.startsWith('/')) {
    // Go stops the opaque part at a query or fragment.
    const cut = rest.search(/[?#]/);
    opaque = cut < 0 ? rest : rest.slice(0, cut);
  }
  return Object.freeze({ scheme: (m[1] ?? '').toLowerCase(), opaque });
}

/**
 * Whether a cell with these providers can run work on this rootfs: the URL's scheme must name a
 * provider; an arbitrary provider takes anything, a fixed set only the stacks in its set.
 */
export function matchRootFS(providers: RootFSProviders, rootfs: string): boolean {
  const url = parseRootFS(rootfs);
  if (!Object.prototype.hasOwnProperty.call(providers, url.scheme)) return false;
  const provider = providers[url.scheme];
  if (!provider) return false;
  if (provider.type === 'arbitrary') return true;
  return Object.prototype.hasOwnProperty.call(provider.set, url.opaque);
}

/**
 * Whether a cell's providers can never change: the object, each provider, each fixed set and each of
 * its entries frozen (see {@link freezeRootFSProviders}). Such an object can be shared by many cells'
 * states.
 */
export function rootFSProvidersFrozen(providers: RootFSProviders): boolean {
  if (!Object.isFrozen(providers)) return false;
  for (const key of Object.keys(providers)) {
    const p = providers[key] as RootFSProvider;
    if (!Object.isFrozen(p)) return false;
    if (p.type === 'fixed_set' && !(Object.isFrozen(p.set) && Object.values(p.set).every((v) => Object.isFrozen(v)))) return false;
  }
  return true;
}

/**
 * A frozen copy of a cell's providers (each provider, fixed set and set entry frozen too), which
 * cells offering the same root file systems can share, and a rep keeps as it is rather than copying
 * (see MemoryRep's constructor).
 */
export function freezeRootFSProviders(providers: RootFSProviders): RootFSProviders {
  const out: RootFSProviders = {};
  for (const key of Object.keys(providers)) {
    const p = providers[key] as RootFSProvider;
    if (p.type !== 'fixed_set') {
      out[key] = Object.freeze({ type: p.type });
      continue;
    }
    const set: Record<string, Record<string, never>> = {};
    for (const stack of Object.keys(p.set)) set[stack] = Object.freeze({});
    out[key] = Object.freeze({ type: 'fixed_set', set: Object.freeze(set) });
  }
  return Object.freeze(out);
}
