export * from '../../src/testing/fakes';
