export { EMODB_CONFIG, dilationOf, type MsseConfig } from './config.ts';
export { bufferSpecs, DIRECTIONS, glorotLimit, initParams, initialValues, paramSpecs, type Direction, type ParamSpec } from './params.ts';
export { msseForward, msseLoss, type ForwardOptions, type MsseOutput } from './msse.ts';
