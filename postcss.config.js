export default {
  plugins: {
    tailwindcss: { config: new URL('./tailwind.config.ts', import.meta.url).pathname },
    autoprefixer: {},
  },
};
