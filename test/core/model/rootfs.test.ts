import { describe, expect, it } from 'vitest';
import { matchRootFS, parseRootFS, type RootFSProviders } from '../../../src/index.js';

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
