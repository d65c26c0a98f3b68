import { describe, expect, it } from 'vitest';
import { matchRootFS, parseRootFS, type RootFSProviders } from '../../../src/index.js';
import { freezeRootFSProviders, rootFSProvidersFrozen } from '../../../src/core/model/rootfs.js';

const providers: RootFSProviders = {
  docker: { type: 'arbitrary' },
  preloaded: { type: 'fixed_set', set: { cflinuxfs4: {} } },
};

describe('rootfs', () => {
  it('splits a preloaded rootfs into scheme and stack', () => {
    expect(parseRootFS('preloaded:cflinuxfs4')).toEqual({ scheme: 'preloaded', opaque: 'cflinuxfs4' });
  });

  it('a docker URL with a path has no opaque part', () => {
    expect(parseRootFS('docker:///busybox')).toEqual({ scheme: 'docker', opaque: '' });
  });

  it('a string without a scheme matches no provider', () => {
    expect(parseRootFS('cflinuxfs4').scheme).toBe('');
    expect(matchRootFS(providers, 'cflinuxfs4')).toBe(false);
  });

  it('an arbitrary provider takes anything of its scheme', () => {
    expect(matchRootFS(providers, 'docker:///busybox')).toBe(true);
    expect(matchRootFS(providers, 'docker://registry.example/app#tag')).toBe(true);
  });

  it('a fixed_set provider takes only the stacks in its set', () => {
    expect(matchRootFS(providers, 'preloaded:cflinuxfs4')).toBe(true);
    expect(matchRootFS(providers, 'preloaded:cflinuxfs3')).toBe(false);
  });

  it('schemes match case-insensitively, as Go lower-cases them', () => {
    expect(matchRootFS(providers, 'PRELOADED:cflinuxfs4')).toBe(true);
  });

  it('a scheme the cell lacks never matches', () => {
    expect(matchRootFS({ preloaded: { type: 'fixed_set', set: { windows2019: {} } } }, 'docker:///x')).toBe(false);
  });
});

describe('frozen providers (shared by the cells of a group)', () => {
  it('a frozen copy is equal, frozen throughout, matches alike, and leaves the original as it was', () => {
    const own: RootFSProviders = { docker: { type: 'arbitrary' }, preloaded: { type: 'fixed_set', set: { cflinuxfs4: {} } } };
    const frozen = freezeRootFSProviders(own);
    expect(frozen).toEqual(own);
    expect(frozen).not.toBe(own);
    expect(rootFSProvidersFrozen(frozen)).toBe(true);
    expect(rootFSProvidersFrozen(own)).toBe(false);
    for (const rootfs of ['preloaded:cflinuxfs4', 'preloaded:cflinuxfs3', 'docker:///x', 'other:y', '']) expect(matchRootFS(frozen, rootfs)).toBe(matchRootFS(own, rootfs));
    expect(() => {
      (frozen as Record<string, unknown>)['raw'] = { type: 'arbitrary' };
    }).toThrow(TypeError);
    // The original's set is not the copy's: freezing one leaves the other writable.
    (own['preloaded'] as { set: Record<string, object> }).set['cflinuxfs3'] = {};
    expect(matchRootFS(frozen, 'preloaded:cflinuxfs3')).toBe(false);
  });

  it('is not frozen throughout when any level is not', () => {
    const set = { cflinuxfs4: {} };
    expect(rootFSProvidersFrozen(Object.freeze({ preloaded: Object.freeze({ type: 'fixed_set' as const, set }) }))).toBe(false);
    expect(rootFSProvidersFrozen(Object.freeze({ preloaded: { type: 'fixed_set' as const, set: Object.freeze(set) } }))).toBe(false);
    // The set's entries too.
    expect(rootFSProvidersFrozen(Object.freeze({ preloaded: Object.freeze({ type: 'fixed_set' as const, set: Object.freeze(set) }) }))).toBe(false);
    expect(rootFSProvidersFrozen(Object.freeze({ preloaded: Object.freeze({ type: 'fixed_set' as const, set: Object.freeze({ cflinuxfs4: Object.freeze({}) }) }) }))).toBe(true);
    expect(rootFSProvidersFrozen(Object.freeze({}))).toBe(true);
    expect(rootFSProvidersFrozen({})).toBe(false);
  });
});
