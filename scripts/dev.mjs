// `npm run dev`: next dev plus the sync server restarted on change.
process.argv.push('--dev');
await import('./start.mjs');
