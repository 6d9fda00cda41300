// The site's favicon (Starlight links /favicon.svg on every page): a small stack of containers.
import type { APIRoute } from 'astro';

const SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect x="4" y="4" width="24" height="7" rx="2" fill="#2563eb"/>
<rect x="4" y="12.5" width="24" height="7" rx="2" fill="#3b82f6"/>
<rect x="4" y="21" width="24" height="7" rx="2" fill="#60a5fa"/>
</svg>
`;

export const GET: APIRoute = () => new Response(SVG, { headers: { 'Content-Type': 'image/svg+xml' } });
