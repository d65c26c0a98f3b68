import { LOCALITY_OFFSET } from '../scoring.js';
import type { ClusterSnapshot, ConstraintClass, SizeClass } from './cluster-snapshot.js';
import { MinTree } from './min-tree.js';

/** The trees for LRPs of one constraint and one size: one per zone, leaves in rank order. */
export interface LRPTrees {
  /** The size class the keys are computed for. */
  readonly sc: SizeClass;
  /** Cells passing the constraint's filters. */
  readonly ok: Uint8Array;
  /** One tree per zone (null where no cell passes the filters). */
  readonly zones: (MinTree | null)[];
  /** Cells passing the filters in each zone: what Diego would score there. */
  readonly eligible: Int32Array;
}

/** The tree for tasks of one constraint and one size: all cells, leaves in rank order. */
export interface TaskTree {
  /** The size class the keys are computed for. */
  readonly sc: SizeClass;
  /** Cells passing the constraint's filters. */
  readonly ok: Uint8Array;
  /** The tree. */
  readonly tree: MinTree;
  /** Cells passing the filters. */
  readonly eligible: number;
}

/**
 * Diego's scores of every cell for every (constraint, size) seen in a batch, kept in tournament
 * trees so an auction finds the best cell in O(log n) instead of scoring every cell. A leaf's key is
 * exactly the score Diego would compute for a cell holding no instance of the app:
 * LRPs `(resource + 0) + index x binPackWeight`, tasks `resource + 1000 x tasks`; with `resource =
 * fraction + starting x startingWeight` (scoring.ts). Cells holding the app are excluded from the
 * tree for the auction and scored one by one with their locality term. After each placement only
 * the winning cell's leaves change.
 */
export class ScoreTrees {
  private readonly lrp = new Map<ConstraintClass, Map<SizeClass, LRPTrees>>();
  private readonly task = new Map<ConstraintClass, Map<SizeClass, TaskTree>>();
  private readonly allLRP: LRPTrees[] = [];
  private readonly allTask: TaskTree[] = [];

  /** Trees over `snap` for the batch's starting-container and bin-pack weights. */
  constructor(
    private readonly snap: ClusterSnapshot,
    private readonly scw: number,
    private readonly bpw: number,
  ) {}

  /**
   * Diego's resource score of a size on a cell: `fraction + starting x weight`, or +Infinity when the
   * work does not fit (the problems are then in `sc.problems[c]`).
   */
  resource(sc: SizeClass, c: number): number {
    const snap = this.snap;
    if (sc.stamp[c] !== snap.version[c]) snap.rescore(sc, c);
    const b = sc.base[c] as number;
    return b === Infinity ? Infinity : b + (snap.starting[c] as number) * this.scw;
  }

  /** The LRP trees of a constraint and size, built on first use. */
  lrpTrees(cls: ConstraintClass, sc: SizeClass): LRPTrees {
    let bySize = this.lrp.get(cls);
    if (!bySize) {
      bySize = new Map();
      this.lrp.set(cls, bySize);
    }
    let t = bySize.get(sc);
    if (!t) {
      const snap = this.snap;
      const eligible = new Int32Array(snap.zoneNames.length);
      const zones = snap.zoneCells.map((cells, z) => {
        if (cls.zoneOk[z] === 0) return null;
        const tree = new MinTree(cells.length);
        for (let i = 0; i < cells.length; i++) {
          const c = cells[i] as number;
          if (cls.ok[c] === 0) continue;
          eligible[z] = (eligible[z] as number) + 1;
          const key = this.lrpKey(sc, c);
          tree.init(i, key, sc.problems[c] as number);
        }
        tree.build();
        return tree;
      });
      t = { sc, ok: cls.ok, zones, eligible };
      bySize.set(sc, t);
      this.allLRP.push(t);
    }
    return t;
  }

  /** The task tree of a constraint and size, built on first use. */
  taskTree(cls: ConstraintClass, sc: SizeClass): TaskTree {
    let bySize = this.task.get(cls);
    if (!bySize) {
      bySize = new Map();
      this.task.set(cls, bySize);
    }
    let t = bySize.get(sc);
    if (!t) {
      const snap = this.snap;
      const tree = new MinTree(snap.n);
      let eligible = 0;
      for (let r = 0; r < snap.n; r++) {
        const c = snap.byRank[r] as number;
        if (cls.ok[c] === 0) continue;
        eligible++;
        tree.init(r, this.taskKey(sc, c), sc.problems[c] as number);
      }
      tree.build();
      t = { sc, ok: cls.ok, tree, eligible };
      bySize.set(sc, t);
      this.allTask.push(t);
    }
    return t;
  }

  /** Hands every tree's arrays back for reuse once the batch is scheduled; the trees are then unusable. */
  release(): void {
    for (const t of this.allLRP) for (const tree of t.zones) tree?.release();
    for (const t of this.allTask) t.tree.release();
    this.allLRP.length = 0;
    this.allTask.length = 0;
    this.lrp.clear();
    this.task.clear();
  }

  /** Refreshes a cell's leaves in every tree after its resources changed. */
  touch(c: number): void {
    const snap = this.snap;
    const z = snap.zoneOf[c] as number;
    const zp = snap.zonePos[c] as number;
    for (const t of this.allLRP) {
      const tree = t.zones[z];
      if (!tree || t.ok[c] === 0) continue;
      tree.set(zp, this.lrpKey(t.sc, c), t.sc.problems[c] as number);
    }
    const r = snap.rank[c] as number;
    for (const t of this.allTask) {
      if (t.ok[c] === 0) continue;
      t.tree.set(r, this.taskKey(t.sc, c), t.sc.problems[c] as number);
    }
  }

  private lrpKey(sc: SizeClass, c: number): number {
    const res = this.resource(sc, c);
    // Diego adds the locality term (0 here) before the index term; adding 0 changes no float.
    return res === Infinity ? Infinity : res + (this.snap.cellIndex[c] as number) * this.bpw;
  }

  private taskKey(sc: SizeClass, c: number): number {
    const res = this.resource(sc, c);
    return res === Infinity ? Infinity : res + LOCALITY_OFFSET * (this.snap.taskCount[c] as number);
  }
}
