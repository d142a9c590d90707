/** Where a rendered profile is stored and served: its own format directory, beside the node's formats. */
export const renderFormatName = (profile: string): string => `render-${profile}`;
