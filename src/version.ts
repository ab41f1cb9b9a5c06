// Kept in step with package.json by a test, so --version needs no file read at start-up.
export const VERSION = '0.1.0'
