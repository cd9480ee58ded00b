// Only Handlebars' parser is used (see src/metadata/expressions.ts); importing it alone keeps the
// compiler and runtime, most of the package, out of the bundle the runner loads at every start.
declare module 'handlebars/dist/cjs/handlebars/compiler/base.js' {
  // Brings in the package's types, which declare the global `hbs.AST` namespace the parser returns.
  import type {} from 'handlebars'
  export function parse(input: string): hbs.AST.Program
}
