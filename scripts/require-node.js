// Fails loudly when an npm script would run on a Node older than the project needs.
// npm puts node_modules/.bin first on PATH, so the pinned `node` devDependency (Node 24) is
// normally what runs here; after `npm install --ignore-scripts` its binary is missing and the
// system Node (20 on our machines) would take over silently.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `compose-wiki needs Node >= 22.12, but this script runs on Node ${process.versions.node}.\n` +
      'The project pins Node 24 as the devDependency "node"; its binary is installed by an install\n' +
      'script. Run `npm install` again without --ignore-scripts (or `npm rebuild node`).',
  );
  process.exit(2);
}
