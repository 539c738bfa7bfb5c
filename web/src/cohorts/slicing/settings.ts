/**
 * Applied when DuckDB-WASM starts, in the browser and in the Node tests alike: its binary knows
 * extensions.duckdb.org, and nothing may be downloaded at run time.
 */
export const NO_EXTENSION_DOWNLOADS = ['SET autoinstall_known_extensions = false', 'SET autoload_known_extensions = false'];
