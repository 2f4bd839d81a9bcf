// This scaffold has its own tsconfig.json (the root's leaves it out).
module.exports = {
  parserOptions: { project: 'tsconfig.json', tsconfigRootDir: __dirname },
}
