// `auctionlab/report`: reports of saved results, as a library. Kept out of the main entry so that
// library users who never make a report never load Chart.js or a canvas.
export { compareReport, runReport, type CompareTable, type FailureExample, type MapSpec, type ReportModel, type RunResultsFile, type Section } from './build.js';
export { diffReport, type DiffReportSide } from './diff-report.js';
export { barChart, timeChart, type ChartConfig, type ChartSpec } from './charts.js';
export { compareTables, runTables, type ReportTables, type Table } from './csv.js';
export { renderHtml } from './html.js';
export { cellOrder, faultMarks, memoryByCell, seriesOf, strandedByCell, zoneSkewHistogram } from './model.js';
export { PngUnavailableError, writePngs } from './png.js';
export { isCompare, reportModel, reportTables, writeReport, type ReportInput, type ReportOptions, type WrittenReport } from './write.js';
export { snapshotPlacement, type PlacementSnapshot, type PlacementCell, type PlacementApp, type CellStatus } from '../metrics/placement-snapshot.js';
export type { CellChange, PlacementTimeline } from '../metrics/placement-timeline.js';
