// The entry Pulumi's component analyzer reads (`pulumi package add` → GetSchema). It analyses
// TypeScript sources within this package's tsconfig program: it maps package.json exports/main
// (dist/components/index.js, compiled JavaScript) to a `.ts` beside it, finds none there, and
// falls back to `index.ts` at the package root, i.e. this file. The plugin itself runs the
// compiled JavaScript of package.json `main`, which exports exactly what this file does.
export * from "./components";
