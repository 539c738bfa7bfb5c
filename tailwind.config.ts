import headlessui from '@headlessui/tailwindcss';
import forms from '@tailwindcss/forms';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from 'tailwindcss';

// Absolute globs: Vite may build from another working directory.
const root = path.dirname(fileURLToPath(import.meta.url));

// Tremor 3's documented Tailwind setup, with the product's brand colour (indigo). The safelist
// holds the chart palette and the colours Tremor picks at run time (BadgeDelta: emerald, red, orange).
const colorClasses = /^(bg|text|border|ring|stroke|fill)-(?:gray|slate|indigo|cyan|amber|emerald|rose|red|orange|blue|violet|teal)-(?:50|100|200|300|400|500|600|700|800|900|950)$/;

export default {
  content: [path.join(root, 'web/index.html'), path.join(root, 'web/embed.html'), path.join(root, 'web/src/**/*.{ts,tsx}'), path.join(root, 'node_modules/@tremor/**/*.{js,ts,jsx,tsx}')],
  theme: {
    transparent: 'transparent',
    current: 'currentColor',
    extend: {
      colors: {
        tremor: {
          brand: { faint: '#eef2ff', muted: '#c7d2fe', subtle: '#818cf8', DEFAULT: '#4f46e5', emphasis: '#3730a3', inverted: '#ffffff' },
          background: { muted: '#f9fafb', subtle: '#f3f4f6', DEFAULT: '#ffffff', emphasis: '#374151' },
          border: { DEFAULT: '#e5e7eb' },
          ring: { DEFAULT: '#e5e7eb' },
          content: { subtle: '#9ca3af', DEFAULT: '#6b7280', emphasis: '#374151', strong: '#111827', inverted: '#ffffff' },
        },
      },
      boxShadow: {
        'tremor-input': '0 1px 2px 0 rgb(0 0 0 / 0.05)',
        'tremor-card': '0 1px 3px 0 rgb(0 0 0 / 0.1), 0 1px 2px -1px rgb(0 0 0 / 0.1)',
        'tremor-dropdown': '0 4px 6px -1px rgb(0 0 0 / 0.1), 0 2px 4px -2px rgb(0 0 0 / 0.1)',
      },
      borderRadius: { 'tremor-small': '0.375rem', 'tremor-default': '0.5rem', 'tremor-full': '9999px' },
      fontSize: {
        'tremor-label': ['0.75rem', { lineHeight: '1rem' }],
        'tremor-default': ['0.875rem', { lineHeight: '1.25rem' }],
        'tremor-title': ['1.125rem', { lineHeight: '1.75rem' }],
        'tremor-metric': ['1.875rem', { lineHeight: '2.25rem' }],
      },
    },
  },
  safelist: [{ pattern: colorClasses, variants: ['hover', 'ui-selected'] }],
  plugins: [headlessui, forms],
} satisfies Config;
