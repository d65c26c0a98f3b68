import { describe, expect, it } from 'vitest';
import { gpuAsk, gpuFree, gpusFit, pickGpus } from '../../../src/index.js';

describe('GPU devices', () => {
  it('a request asks for whole devices unless it names a share', () => {
    expect(gpuAsk({})).toBeNull();
    expect(gpuAsk({ GpuCount: 0, GpuMilli: 500 })).toBeNull();
    expect(gpuAsk({ GpuCount: 2 })).toEqual({ count: 2, milli: 1000 });
    expect(gpuAsk({ GpuCount: 1, GpuMilli: 460 })).toEqual({ count: 1, milli: 460 });
  });

  it('fits when enough devices have the share free; a cell without GPUs never fits', () => {
    expect(gpusFit([1000, 300, 1000], { count: 2, milli: 1000 })).toBe(true);
    expect(gpusFit([1000, 300, 999], { count: 2, milli: 1000 })).toBe(false);
    expect(gpusFit([300, 460], { count: 1, milli: 460 })).toBe(true);
    expect(gpusFit([], { count: 1, milli: 1 })).toBe(false);
    expect(gpusFit(undefined, { count: 1, milli: 1 })).toBe(false);
  });

  it('a share goes to the device it leaves least free (fragmenting least), ties to the lower device', () => {
    expect(pickGpus([1000, 500, 600, 500], { count: 1, milli: 460 })).toEqual([1]);
    expect(pickGpus([1000, 500, 600, 500], { count: 1, milli: 550 })).toEqual([2]);
    expect(pickGpus([1000, 1000, 0, 1000], { count: 2, milli: 1000 })).toEqual([0, 1]);
    expect(pickGpus([1000, 999], { count: 2, milli: 1000 })).toBeNull();
    expect(pickGpus(undefined, { count: 1, milli: 1 })).toBeNull();
  });

  it('counts free thousandths and wholly free devices', () => {
    expect(gpuFree([1000, 540, 0])).toEqual({ milli: 1540, whole: 1 });
    expect(gpuFree(undefined)).toEqual({ milli: 0, whole: 0 });
  });
});
