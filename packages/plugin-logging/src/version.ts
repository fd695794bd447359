/** This package's version, written into HAR files as `log.creator.version`. */
export const VERSION = '0.1.0';
