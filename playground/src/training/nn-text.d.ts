// `.nn` spec files imported as their text (esbuild: loader { ".nn": "text" }), so lessons use the specs/ files themselves.
declare module "*.nn" {
  const text: string;
  export default text;
}
