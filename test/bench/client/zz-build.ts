import { buildProductPage } from '/work/main/test/bench/client/build-pages';
console.log('built in', await buildProductPage());
