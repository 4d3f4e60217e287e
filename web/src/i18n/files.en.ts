/** The file upload control (components/FileUpload.tsx). */
export default {
  choose: 'Choose a file',
  chosen: '{{name}} ({{size}})',
  retry: 'Try again',
  uploading: 'Uploading {{name}}…',
  uploaded: '{{name}} uploaded.',
  remove: 'Choose another file',
  accepted: 'PDF, images (PNG, JPEG, GIF, WebP), text or CSV, Word, Excel or PowerPoint; at most {{limit}}.',
  size: {
    bytes: '{{count, number}} bytes',
    kib: '{{value}} KB',
    mib: '{{value}} MB',
  },
} as const;
