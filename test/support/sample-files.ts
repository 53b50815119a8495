export * from '../../src/testing/sample-files';
