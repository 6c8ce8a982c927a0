import { defineConfig } from "vite";

// The app loads ui/dist from disk: relative asset paths, no dev-server assumptions.
export default defineConfig({
  base: "./",
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari16",
    sourcemap: false,
  },
});
