export * from '../../src/testing/media-fixtures';
