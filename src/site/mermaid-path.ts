/**
 * Where Mermaid's entry module is served, below the site's base URL (see mermaid-assets.ts). A
 * module of its own, so that the browser script of src/components/Mermaid.astro can import it
 * without pulling in the build-time code.
 */
export const MERMAID_PATH = '_cw/mermaid/mermaid.esm.min.mjs';
