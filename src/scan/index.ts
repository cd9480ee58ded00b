// The scan stage's entry: the files read before the build, the scanner made ready while the image
// builds, the scan of every platform and the gate.
export { readScanFiles, type ScanFiles } from './scan-files.js'
export { checkSarifDestination, sarifPath } from './sarif-destination.js'
export type { ScannedPlatform } from './scanned-platforms.js'
export type { SbomOutcome } from './sbom.js'
export { prepareScanner, type ScannerPreparation } from './preparation.js'
export {
  gateFailure,
  judgedOutcome,
  scanBuiltImage,
  scanWorkDir,
  type ScanStageOptions,
  type ScanStageOutcome,
} from './stage.js'
export { scanLayout, startScan, type ScanStart } from './ship-scan.js'
