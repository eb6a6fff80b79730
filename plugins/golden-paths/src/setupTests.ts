import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// CI runs every package's tests at once on two cores; a first render of a whole app can take
// longer than testing-library's 1 s default for findBy*/waitFor without anything being wrong.
configure({ asyncUtilTimeout: 10_000 });
