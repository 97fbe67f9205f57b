import type { StoryObj } from '@storybook/react-vite';
import type { ComponentType } from 'react';

/**
 * Stories of one component in a file that shows several (fewer story files keep the Vitest run short:
 * each file is a fresh page with its own setup). Each story renders the component with the defaults'
 * args under its own.
 */
export function componentStories<P extends object>(
  Component: ComponentType<P>,
  defaults: Pick<StoryObj<P>, 'args' | 'argTypes'> = {},
) {
  return (story: StoryObj<P> = {} as StoryObj<P>): StoryObj<P> => ({
    render: (args: P) => <Component {...args} />,
    ...story,
    args: { ...defaults.args, ...story.args },
    argTypes: { ...defaults.argTypes, ...story.argTypes },
  });
}
