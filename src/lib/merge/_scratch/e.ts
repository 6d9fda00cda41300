import { fromMarkdown } from '../markdown.ts';
const src = `para\n\n    indented\n    code\n\n  \`\`\`\n  fenced\n  \`\`\`\n\n  para2\n  more\n\n  - a\n    cont\n  - b\n\n  > quote\n\n  <div>\n\n  | a |\n  | - |\n`;
for (const n of fromMarkdown(src).children) console.log(n.type, JSON.stringify(n.position?.start), JSON.stringify(src.slice(n.position!.start.offset!, n.position!.end.offset!)));
