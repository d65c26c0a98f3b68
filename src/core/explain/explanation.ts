// Why an auction went where it went: every cell the scheduler looked at and its verdict, the zones
// in the order Diego tried them, the winner, the runner-up and the margin. Built only when asked
// (`schedule --explain`): the scheduler's normal path records nothing.
import type { Resources } from '../model/resources.js';

/** Which hard filter turned a cell away: Diego's three, or auctionlab's GPU-model filter. */
export type FilterName = 'rootfs' | 'volume-drivers' | 'placement-tags' | 'gpu-model';

/** One cell's verdict in one auction. */
export type CellVerdict =
  | {
      /** The cell. */
      cell: string;
      /** Its zone. */
      zone: string;
      /** Turned away by a filter before any resource was looked at. */
      verdict: 'filtered';
      /** The filter. */
      filter: FilterName;
      /** Diego's error for it (the auction's own error when no cell passes that far). */
      error: string;
    }
  | {
      cell: string;
      zone: string;
      /** It passed the filters but lacks room for the work. */
      verdict: 'insufficient';
      /** What it lacks, in Diego's words. */
      problems: ('containers' | 'cpu' | 'disk' | 'gpu' | 'memory')[];
      /** What the work needed on it: memory (with the cell's proxy memory, for an LRP), disk, one container; CPU and GPUs (thousandths of each device) when it asks for them. */
      needed: Resources;
      /** What it had free when the auction came to it. */
      available: Resources;
    }
  | {
      cell: string;
      zone: string;
      /** It could take the work, and the strategy ranked it. */
      verdict: 'scored';
      /** Its score under the strategy's rule ({@link AuctionDecider.rule}). */
      score: number;
      /** The terms of the score, by name (diego: memory, disk, containers, starting, locality, binPack). */
      terms: Readonly<Record<string, number>>;
    }
  | {
      cell: string;
      zone: string;
      /** Passed the filters, but in a zone Diego never reached: a zone with fewer of the app's instances placed it. */
      verdict: 'not-reached';
    }
  | {
      cell: string;
      zone: string;
      /** Evacuating (draining): Diego's auctioneer leaves such cells out of the auction. */
      verdict: 'evacuating';
    }
  | {
      cell: string;
      zone: string;
      /** It answered the strategy's request with a refusal (explanations by messages). */
      verdict: 'refused';
      /** The cell's error. */
      error: string;
      /** The round it was asked in. */
      round: number;
    };

/** A zone as Diego's LRP auction tried it: zones with fewer instances of the app first. */
export interface ZoneStep {
  /** The zone. */
  zone: string;
  /** Instances of the app already in it. */
  instancesOfApp: number;
  /** Its cells that passed the filters. */
  passedFilters: number;
  /** Whether its cells were scored. */
  reached: boolean;
}

/** What an explanation says of one auction's outcome: what it asked, where it went, and the zones. */
export interface ExplainedOutcome {
  /** The auction: `<process_guid>.<index>` or the task guid. */
  id: string;
  /** LRP instance or task. */
  kind: 'lrp' | 'task';
  /** What it asks for (an LRP also needs each cell's proxy memory on top). */
  needs: WorkNeeds;
  /** The cell that won, or null. */
  placedOn: string | null;
  /** Why it failed (Diego's error), when it did. */
  reason?: string;
  /** The chosen cell turned the work down when it was sent (`rejected by cell c at commit`): it failed after all. */
  rejected?: string;
  /** The runner-up, when two or more cells were scored. */
  runnerUp?: { cell: string; score: number };
  /** Runner-up's score minus the winner's (0: a tie). */
  margin?: number;
  /** Whether the winner and the runner-up scored the same and the seeded tie order decided. */
  decidedByTie: boolean;
  /** The zones in the order they were tried (LRPs; empty for tasks, which ignore zones). */
  zones: ZoneStep[];
}

/** Who decided an auction, and by what rule. */
export interface AuctionDecider {
  /** The strategy that decided. */
  strategy: string;
  /** How it ranks the cells that could take the work (`lower score wins: ...`). */
  rule: string;
}

/** The explanation of one auction. */
export interface AuctionExplanation extends ExplainedOutcome, AuctionDecider {
  /** Every cell, best first: the ranked ones in the strategy's order (ties as they were broken), then the rest. */
  cells: CellVerdict[];
  /**
   * Cells left out of {@link AuctionExplanation.cells}, by verdict, when explained with a limit:
   * only the best scored cells and the first cells not reached were listed.
   */
  unlisted?: { scored: number; notReached: number };
}

/** What a piece of work asks for, as an explanation says it: memory and disk, and CPU and GPUs when it asks for them. */
export interface WorkNeeds {
  /** Memory (MB; an LRP also needs each cell's proxy memory on top). */
  MemoryMB: number;
  /** Disk (MB). */
  DiskMB: number;
  /** CPU (millicores), when asked. */
  CpuMilli?: number;
  /** GPU devices, when asked. */
  GpuCount?: number;
  /** Thousandths of each device, when GPUs are asked. */
  GpuMilli?: number;
}
