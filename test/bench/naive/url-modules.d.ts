/** Vite's `?url` imports (vite/client declares them for the renderer; the bench page needs them too). */
declare module '*?url' {
  const url: string;
  export default url;
}
