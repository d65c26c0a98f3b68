import { describe, expect, it } from 'vitest';
import type { Reply, Request } from '../../src/core/protocol/messages.js';
import { streamFor } from '../../src/core/random.js';
import { Kernel } from '../../src/sim/kernel/kernel.js';
import { ERR_TIMEOUT, Network, type Endpoint } from '../../src/sim/network.js';
import type { Distribution } from '../../src/sim/distributions.js';

// A cell that answers every request with its state reply, after `serviceMs` of work.
function endpoint(answers: { n: number }, serviceMs = 0): Endpoint & { alive: boolean } {
  return {
    zone: 'z1',
    alive: true,
    latencyFactor: 1,
    handle: (): Reply => {
      answers.n++;
      return { kind: 'release', ok: true };
    },
    serviceMs: () => serviceMs,
  };
}

const req = (cell: string): Request => ({ kind: 'release', cell, auction: { kind: 'task', id: 't', task: {} } }) as unknown as Request;

function net(latency: Distribution, loss = 0, timeoutMs = 10_000) {
  const kernel = new Kernel({ seed: 1 });
  return { kernel, network: new Network(kernel, { latency, loss, timeoutMs }, streamFor(1, 'net')) };
}

describe('Network.send', () => {
  it('delivers, and calls back once with the reply after the way there, the work and the way back', () => {
    const { kernel, network } = net({ kind: 'constant', value: 5 });
    const answers = { n: 0 };
    const got: [number, Reply][] = [];
    network.send(req('c1'), endpoint(answers, 3), (r) => got.push([kernel.now, r]));
    kernel.run(Infinity);
    expect(answers.n).toBe(1);
    expect(got).toEqual([[13, { kind: 'release', ok: true }]]);
    expect(network.lost).toBe(0);
    expect(network.inFlight).toBe(0);
  });

  it('a reply slower than the timeout ends as one lost refusal at the timeout, and the late reply is dropped', () => {
    const { kernel, network } = net({ kind: 'constant', value: 6 }, 0, 10);
    const got: [number, Reply][] = [];
    network.send(req('c1'), endpoint({ n: 0 }), (r) => got.push([kernel.now, r]));
    kernel.run(Infinity);
    expect(got).toEqual([[10, { kind: 'release', ok: false, error: ERR_TIMEOUT, lost: true }]]);
    expect(network.lost).toBe(1);
  });

  it('a dead cell answers nothing: one lost refusal at the timeout', () => {
    const { kernel, network } = net({ kind: 'constant', value: 1 }, 0, 50);
    const answers = { n: 0 };
    const cell = endpoint(answers);
    cell.alive = false;
    const got: Reply[] = [];
    network.send(req('c1'), cell, (r) => got.push(r));
    kernel.run(Infinity);
    expect(answers.n).toBe(0);
    expect(got).toEqual([{ kind: 'release', ok: false, error: ERR_TIMEOUT, lost: true }]);
    expect(network.inFlight).toBe(0);
  });

  it('many exchanges in flight at once, some lost: every sender hears exactly once, in time', () => {
    const { kernel, network } = net({ kind: 'uniform', min: 1, max: 40 }, 0.2, 60);
    const heard = new Map<number, number>();
    const cell = endpoint({ n: 0 });
    // Sent over time, so ids rise while earlier exchanges are still out.
    for (let k = 0; k < 5_000; k++) {
      kernel.at(k / 10, kernel.register(`send-${k}`, () => network.send(req('c1'), cell, () => heard.set(k, (heard.get(k) ?? 0) + 1))));
    }
    kernel.run(Infinity);
    expect(heard.size).toBe(5_000);
    expect([...heard.values()].every((n) => n === 1)).toBe(true);
    expect(network.lost).toBeGreaterThan(0);
    expect(network.messages).toBe(5_000);
    expect(network.inFlight).toBe(0);
  });
});

describe('Network.fanOut (state fetches)', () => {
  // A cell keeping one state reply, as a simulated cell's rep does; `calls` counts handle() calls.
  function stateCell(name: string, counts: { calls: number }): Endpoint & { alive: boolean; stateReply: Reply } {
    const stateReply = { kind: 'state', ok: true, state: { cell_id: name } } as unknown as Reply;
    return {
      zone: 'z1',
      alive: true,
      latencyFactor: 1,
      stateReply,
      handle: () => {
        counts.calls++;
        return stateReply;
      },
    };
  }
  const states = (cells: readonly string[]) => Object.freeze(cells.map((cell) => Object.freeze({ kind: 'state', cell }) as Request));

  it("reads each cell's kept state reply, and hands on the same frozen replies while the cells answer as before", () => {
    const { kernel, network } = net({ kind: 'constant', value: 2 }, 0, 50);
    const counts = { calls: 0 };
    const ends = ['c1', 'c2', 'c3'].map((c) => stateCell(c, counts));
    const reqs = states(['c1', 'c2', 'c3']);
    const heard: (readonly Reply[])[] = [];
    const fetch = () => network.fanOut(reqs, ends, (r) => heard.push(r));
    fetch();
    kernel.run(Infinity);
    fetch();
    kernel.run(Infinity);
    expect(counts.calls).toBe(0);
    expect(heard[0]).toEqual(ends.map((e) => e.stateReply));
    expect(Object.isFrozen(heard[0])).toBe(true);
    expect(heard[1]).toBe(heard[0]);
    // A cell down: a new list, the lost reply at its place, the others the same objects.
    (ends[1] as { alive: boolean }).alive = false;
    fetch();
    kernel.run(Infinity);
    expect(heard[2]).not.toBe(heard[0]);
    expect(heard[2]).toEqual([ends[0]!.stateReply, { kind: 'state', ok: false, error: ERR_TIMEOUT, lost: true }, ends[2]!.stateReply]);
    // Still down: that list again (the one lost reply is one object too).
    fetch();
    kernel.run(Infinity);
    expect(heard[3]).toBe(heard[2]);
    // Back up: every reply as at first, in a list of its own.
    (ends[1] as { alive: boolean }).alive = true;
    fetch();
    kernel.run(Infinity);
    expect(heard[4]).toEqual(heard[0]);
    expect(network.messages).toBe(15);
  });

  it('with every change reported, a repeat fetch reads no cell; whatever was reported, cut off or not delivered is read again', () => {
    const { kernel, network } = net({ kind: 'constant', value: 2 }, 0, 50);
    network.reportsEndpointChanges();
    const reads = { n: 0 };
    // Cells that report each change, as a simulated cell does; `reads` counts reads of the reply.
    const cellOf = (name: string) => {
      let up = true;
      let factor = 1;
      let reply = Object.freeze({ kind: 'state', ok: true, state: { cell_id: name } }) as unknown as Reply;
      return {
        zone: name === 'c3' ? 'z3' : 'z1',
        get latencyFactor() {
          return factor;
        },
        set latencyFactor(v: number) {
          factor = v;
          network.endpointChanged();
        },
        get alive() {
          return up;
        },
        set alive(v: boolean) {
          up = v;
          network.endpointChanged();
        },
        get stateReply() {
          reads.n++;
          return reply;
        },
        renew() {
          reply = Object.freeze({ kind: 'state', ok: true, state: { cell_id: `${name}'` } }) as unknown as Reply;
          network.endpointChanged();
        },
        handle: () => reply,
      };
    };
    const ends = Object.freeze(['c1', 'c2', 'c3'].map(cellOf));
    const reqs = states(['c1', 'c2', 'c3']);
    const heard: (readonly Reply[])[] = [];
    const fetch = () => {
      network.fanOut(reqs, ends, (r) => heard.push(r));
      kernel.run(Infinity);
      return heard[heard.length - 1] as readonly Reply[];
    };
    const lost = { kind: 'state', ok: false, error: ERR_TIMEOUT, lost: true };
    const first = fetch();
    expect(reads.n).toBe(3);
    // Nothing changed: the same list, no cell read.
    expect(fetch()).toBe(first);
    expect(reads.n).toBe(3);
    // A cell down (reported): read again, its reply lost; and while a reply is lost, every fetch reads.
    ends[1]!.alive = false;
    expect(fetch()).toEqual([first[0], lost, first[2]]);
    expect(reads.n).toBe(5);
    fetch();
    expect(reads.n).toBe(7);
    ends[1]!.alive = true;
    expect(fetch()).toEqual(first);
    expect(reads.n).toBe(10);
    expect(fetch()).toBe(heard[heard.length - 2]);
    expect(reads.n).toBe(10);
    // A new reply (reported): read again, then not.
    ends[2]!.renew();
    const renewed = fetch();
    expect(renewed[2]).not.toBe(first[2]);
    expect(renewed[2]).toEqual({ kind: 'state', ok: true, state: { cell_id: "c3'" } });
    expect(reads.n).toBe(13);
    expect(fetch()).toBe(renewed);
    expect(reads.n).toBe(13);
    // A zone cut off (nothing reported: the network cuts it itself): its cell's reply lost; healed, read again.
    network.partition('z3');
    expect(fetch()).toEqual([first[0], first[1], lost]);
    network.heal('z3');
    expect(fetch()).toEqual(renewed);
    expect(fetch()).toBe(heard[heard.length - 2]);
    // Cut off while the fetch is out (sent clean, replies read once the cut is made): read, and lost.
    network.fanOut(reqs, ends, (r) => heard.push(r));
    network.partition('z3');
    kernel.run(Infinity);
    expect(heard[heard.length - 1]).toEqual([first[0], first[1], lost]);
    network.heal('z3');
    // A cell slowed (reported): its latency scaled (10 x 4 ms: the fetch ends at 40 ms), then past
    // the timeout (20 x 4 ms): lost; back to normal: as before.
    const endsAt = () => {
      const from = kernel.now;
      let at = -1;
      network.fanOut(reqs, ends, () => (at = kernel.now - from));
      kernel.run(Infinity);
      return at;
    };
    expect(endsAt()).toBe(4);
    ends[0]!.latencyFactor = 10;
    expect(endsAt()).toBe(40);
    expect(endsAt()).toBe(40);
    ends[0]!.latencyFactor = 20;
    expect(fetch()).toEqual([lost, renewed[1], renewed[2]]);
    ends[0]!.latencyFactor = 1;
    expect(endsAt()).toBe(4);
    expect(fetch()).toEqual(renewed);
    expect(network.messages).toBe(3 * 18);
    // A list of endpoints that is not frozen could hold other endpoints by now: always read, sending
    // (a cell down counted lost then) and answering.
    const down = cellOf('c4');
    down.alive = false;
    const open = [...ends];
    network.fanOut(reqs, open, () => {});
    kernel.run(Infinity);
    const before = reads.n;
    const lostBefore = network.lost;
    open[1] = ends[0]!;
    open[2] = down;
    let got: readonly Reply[] = [];
    network.fanOut(reqs, open, (r) => (got = r));
    kernel.run(Infinity);
    expect(reads.n).toBe(before + 2);
    expect(got).toEqual([renewed[0], renewed[0], lost]);
    expect(network.lost).toBe(lostBefore + 1);
  });

  it('with every change reported and messages lost at random, each fetch loses exactly the replies the network counts lost', () => {
    const { kernel, network } = net({ kind: 'constant', value: 2 }, 0.3, 50);
    network.reportsEndpointChanges();
    const ends = ['c1', 'c2', 'c3'].map((c) => stateCell(c, { calls: 0 }));
    const reqs = states(['c1', 'c2', 'c3']);
    let wholeThenLossy = 0;
    let lastWhole = false;
    for (let k = 0; k < 40; k++) {
      const lostBefore = network.lost;
      let got: readonly Reply[] = [];
      network.fanOut(reqs, ends, (r) => (got = r));
      kernel.run(Infinity);
      const lostNow = got.filter((r) => !r.ok).length;
      expect(lostNow).toBe(network.lost - lostBefore);
      got.forEach((r, i) => expect(r.ok ? r : null).toBe(r.ok ? ends[i]!.stateReply : null));
      if (lastWhole && lostNow > 0) wholeThenLossy++;
      lastWhole = lostNow === 0;
    }
    // The case a shortcut must not take: a fetch with every reply after one with a message lost.
    expect(wholeThenLossy).toBeGreaterThan(0);
  });

  it('asks a cell that keeps no state reply, and any request list not frozen, by handle() every time', () => {
    const { kernel, network } = net({ kind: 'constant', value: 2 }, 0, 50);
    const counts = { calls: 0 };
    const kept = stateCell('c1', counts);
    const { stateReply: _, ...plain } = kept;
    const heard: (readonly Reply[])[] = [];
    network.fanOut(states(['c1', 'c1']), [kept, plain], (r) => heard.push(r));
    kernel.run(Infinity);
    expect(counts.calls).toBe(1);
    // Not frozen, and not all state requests: each asked.
    const mixed: Request[] = [{ kind: 'state', cell: 'c1' }, req('c1')];
    network.fanOut(mixed, [kept, kept], (r) => heard.push(r));
    kernel.run(Infinity);
    expect(counts.calls).toBe(3);
    expect(heard[1]!.map((r) => r.kind)).toEqual(['state', 'state']);
  });

  it('a list of state requests that is not frozen and was cut short since gets replies for what it holds now', () => {
    const { kernel, network } = net({ kind: 'constant', value: 2 }, 0, 50);
    const ends = ['c1', 'c2'].map((c) => stateCell(c, { calls: 0 }));
    const reqs: Request[] = [
      { kind: 'state', cell: 'c1' },
      { kind: 'state', cell: 'c2' },
    ];
    const heard: (readonly Reply[])[] = [];
    network.fanOut(reqs, ends, (r) => heard.push(r));
    kernel.run(Infinity);
    reqs.pop();
    network.fanOut(reqs, ends, (r) => heard.push(r));
    kernel.run(Infinity);
    expect(heard[1]).toEqual([ends[0]!.stateReply]);
  });
});
