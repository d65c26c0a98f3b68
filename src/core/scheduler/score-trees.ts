import { LOCALITY_OFFSET } from '../scoring.js';
import type { ClusterSnapshot, ConstraintClass, SizeClass, SnapshotAttachment } from './cluster-snapshot.js';
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
  /** The snapshot's change-log epoch and position the leaves are up to date with. */
  epoch: number;
  /** See {@link LRPTrees.epoch}. */
  synced: number;
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
  /** The snapshot's change-log epoch and position the leaves are up to date with. */
  epoch: number;
  /** See {@link TaskTree.epoch}. */
  synced: number;
}

// Changes a tree takes leaf by leaf; more are staged and settled together (see MinTree.stage). Either
// way the tree ends the same: this only says which is quicker.
const FEW_CHANGES = 8;

/**
 * Diego's scores of every cell for every (constraint, size) seen in a batch, kept in tournament
 * trees so an auction finds the best cell in O(log n) instead of scoring every cell. A leaf's key is
 * exactly the score Diego would compute for a cell holding no instance of the app:
 * LRPs `(resource + 0) + index x binPackWeight`, tasks `resource + 1000 x tasks`; with `resource =
 * fraction + starting x startingWeight` (scoring.ts). Cells holding the app are excluded from the
 * tree for the auction and scored one by one with their locality term. After each placement only
 * the winning cell's leaves change.
 *
 * A snapshot keeps its trees (see {@link treesOf}), and a snapshot kept between
 * batches keeps them across batches: a tree is brought up to date when it is next used, from the
 * snapshot's log of changed cells, so trees of work sizes a batch does not ask for cost nothing.
 */
export class ScoreTrees implements SnapshotAttachment {
  private readonly lrp = new Map<ConstraintClass, Map<SizeClass, LRPTrees>>();
  private readonly task = new Map<ConstraintClass, Map<SizeClass, TaskTree>>();
  private readonly allLRP: LRPTrees[] = [];
  private readonly allTask: TaskTree[] = [];

  /** Trees over `snap` for the batch's starting-container and bin-pack weights. */
  constructor(
    private readonly snap: ClusterSnapshot,
    /** Diego's `starting_container_weight` the keys use. */
    readonly startingContainerWeight: number,
    /** Diego's `bin_pack_first_fit_weight` the keys use. */
    readonly binPackFirstFitWeight: number,
  ) {}

  /**
   * Diego's resource score of a size on a cell: `fraction + starting x weight`, or +Infinity when the
   * work does not fit (the problems are then in `sc.problems[c]`).
   */
  resource(sc: SizeClass, c: number): number {
    const snap = this.snap;
    if (sc.stamp[c] !== snap.version[c]) snap.rescore(sc, c);
    const b = sc.base[c] as number;
    return b === Infinity ? Infinity : b + (snap.starting[c] as number) * this.startingContainerWeight;
  }

  /** The LRP trees of a constraint and size, built on first use and brought up to date on each. */
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
        for (let i = 0; i < cells.length; i++) if (cls.ok[cells[i] as number] === 1) eligible[z] = (eligible[z] as number) + 1;
        return tree;
      });
      t = { sc, ok: cls.ok, zones, eligible, epoch: -1, synced: 0 };
      bySize.set(sc, t);
      this.allLRP.push(t);
    }
    const snap = this.snap;
    if (t.epoch !== snap.epoch) this.rebuildLRP(t);
    else if (snap.changed.length - t.synced > FEW_CHANGES) this.stageLRP(t);
    else if (t.synced < snap.changed.length) {
      const changed = snap.changed;
      for (let k = t.synced; k < changed.length; k++) this.setLRPLeaf(t, changed[k] as number);
    }
    t.synced = snap.changed.length;
    return t;
  }

  /** The task tree of a constraint and size, built on first use and brought up to date on each. */
  taskTree(cls: ConstraintClass, sc: SizeClass): TaskTree {
    let bySize = this.task.get(cls);
    if (!bySize) {
      bySize = new Map();
      this.task.set(cls, bySize);
    }
    let t = bySize.get(sc);
    if (!t) {
      const snap = this.snap;
      let eligible = 0;
      for (let c = 0; c < snap.n; c++) if (cls.ok[c] === 1) eligible++;
      t = { sc, ok: cls.ok, tree: new MinTree(snap.n), eligible, epoch: -1, synced: 0 };
      bySize.set(sc, t);
      this.allTask.push(t);
    }
    const snap = this.snap;
    if (t.epoch !== snap.epoch) this.rebuildTask(t);
    else if (snap.changed.length - t.synced > FEW_CHANGES) {
      const changed = snap.changed;
      try {
        for (let k = t.synced; k < changed.length; k++) {
          const c = changed[k] as number;
          if (t.ok[c] === 1) t.tree.stage(snap.rank[c] as number, this.taskKey(t.sc, c), t.sc.problems[c] as number);
        }
      } finally {
        t.tree.settle();
      }
    } else if (t.synced < snap.changed.length) {
      const changed = snap.changed;
      for (let k = t.synced; k < changed.length; k++) this.setTaskLeaf(t, changed[k] as number);
    }
    t.synced = snap.changed.length;
    return t;
  }

  // Every leaf from the cells' (cached) scores, then every inner node: a new tree, or one that fell
  // a whole change log behind.
  private rebuildLRP(t: LRPTrees): void {
    const snap = this.snap;
    for (let z = 0; z < t.zones.length; z++) {
      const tree = t.zones[z];
      if (!tree) continue;
      const cells = snap.zoneCells[z] as Int32Array;
      for (let i = 0; i < cells.length; i++) {
        const c = cells[i] as number;
        if (t.ok[c] === 1) tree.init(i, this.lrpKey(t.sc, c), t.sc.problems[c] as number);
      }
      tree.build();
    }
    t.epoch = snap.epoch;
  }

  private rebuildTask(t: TaskTree): void {
    const snap = this.snap;
    for (let r = 0; r < snap.n; r++) {
      const c = snap.byRank[r] as number;
      if (t.ok[c] === 1) t.tree.init(r, this.taskKey(t.sc, c), t.sc.problems[c] as number);
    }
    t.tree.build();
    t.epoch = snap.epoch;
  }

  // The changed cells' leaves, zone by zone, each tree's ancestors updated once (MinTree.stage).
  private stageLRP(t: LRPTrees): void {
    const snap = this.snap;
    const changed = snap.changed;
    for (let z = 0; z < t.zones.length; z++) {
      const tree = t.zones[z];
      if (!tree) continue;
      // Settled even if a key cannot be computed: the staging is shared by every tree.
      try {
        for (let k = t.synced; k < changed.length; k++) {
          const c = changed[k] as number;
          if (snap.zoneOf[c] !== z || t.ok[c] === 0) continue;
          tree.stage(snap.zonePos[c] as number, this.lrpKey(t.sc, c), t.sc.problems[c] as number);
        }
      } finally {
        tree.settle();
      }
    }
  }

  private setLRPLeaf(t: LRPTrees, c: number): void {
    const tree = t.zones[this.snap.zoneOf[c] as number];
    if (!tree || t.ok[c] === 0) return;
    tree.set(this.snap.zonePos[c] as number, this.lrpKey(t.sc, c), t.sc.problems[c] as number);
  }

  private setTaskLeaf(t: TaskTree, c: number): void {
    if (t.ok[c] === 0) return;
    t.tree.set(this.snap.rank[c] as number, this.taskKey(t.sc, c), t.sc.problems[c] as number);
  }

  /** Hands every tree's arrays back for reuse when their snapshot is done with; the trees are then unusable. */
  release(): void {
    for (const t of this.allLRP) for (const tree of t.zones) tree?.release();
    for (const t of this.allTask) t.tree.release();
    this.allLRP.length = 0;
    this.allTask.length = 0;
    this.lrp.clear();
    this.task.clear();
  }

  private lrpKey(sc: SizeClass, c: number): number {
    const res = this.resource(sc, c);
    // Diego adds the locality term (0 here) before the index term; adding 0 changes no float.
    return res === Infinity ? Infinity : res + (this.snap.cellIndex[c] as number) * this.binPackFirstFitWeight;
  }

  private taskKey(sc: SizeClass, c: number): number {
    const res = this.resource(sc, c);
    return res === Infinity ? Infinity : res + LOCALITY_OFFSET * (this.snap.taskCount[c] as number);
  }
}

/**
 * The score trees kept with a snapshot for these weights, made and attached on first use: a
 * snapshot kept between batches (`ClusterSnapshot.forBatch`) hands its next batch the trees built,
 * up to date but for the cells that changed since.
 */
export function treesOf(snap: ClusterSnapshot, startingContainerWeight: number, binPackFirstFitWeight: number): ScoreTrees {
  const t = snap.attachment;
  if (t instanceof ScoreTrees && t.startingContainerWeight === startingContainerWeight && t.binPackFirstFitWeight === binPackFirstFitWeight) return t;
  const trees = new ScoreTrees(snap, startingContainerWeight, binPackFirstFitWeight);
  snap.attach(trees);
  return trees;
}
