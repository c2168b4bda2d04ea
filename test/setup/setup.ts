// Loaded before every test file (jest setupFilesAfterEnv).
import 'aws-sdk-client-mock-jest';
