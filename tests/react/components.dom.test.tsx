import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { WaitingView } from '../../src/react/index.ts';

afterEach(() => cleanup());

describe('WaitingView', () => {
  it('shows the progress of a wait that started earlier at once, not after the first tick', () => {
    render(<WaitingView startedAt={Date.now() - 30_000} expectedMs={60_000} />);
    const bar = screen.getByRole('progressbar', { name: 'Waiting for confirmation' });
    expect(Number(bar.getAttribute('value'))).toBeGreaterThanOrEqual(50);
    expect(screen.queryByText(/taking longer/)).not.toBeInTheDocument();
  });

  it('says "taking longer" and offers the check at once when the wait is already past its bound', () => {
    render(<WaitingView startedAt={Date.now() - 90_000} expectedMs={60_000} onCheckAgain={() => {}} />);
    expect(screen.getByRole('progressbar', { name: 'Waiting for confirmation' })).toHaveAttribute(
      'value',
      '100',
    );
    expect(screen.getByText(/taking longer/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Check again' })).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Confirming your payment' }).closest('section'),
    ).toHaveAttribute('aria-busy', 'false');
  });
});
