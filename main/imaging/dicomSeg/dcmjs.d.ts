/** dcmjs ships no types; dicomLibraries.ts types the few functions used. */
declare module 'dcmjs' {
  const dcmjs: unknown;
  export default dcmjs;
}
