// Browsers ask for /favicon.ico on pages that name no icon (Astro's redirect page for `/`):
// answer with the site's SVG icon rather than a 404.
import type { APIRoute } from 'astro';
import { GET as svg } from './favicon.svg.ts';

export const GET: APIRoute = (context) => svg(context);
