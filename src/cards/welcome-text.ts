// The one welcome the bot posts when it is added to a team, a group chat or a personal chat: what it
// is for and the first thing to type there. Teams markdown (`code` shows as a command).

export type WelcomeScope = 'team' | 'groupChat' | 'personal';

export function welcomeText(scope: WelcomeScope): string {
  switch (scope) {
    case 'team':
      return (
        "👋 I'm @lendos: I run the LendOS release runbook in this team. To start, someone in the Platform team or an IRC " +
        'types `@lendos register engineering` in #engineering (and `@lendos register general` in #general, ' +
        '`@lendos register production-support` in #production-support). Anyone can type `@lendos help` to see what they can do.'
      );
    case 'groupChat':
      return "👋 I'm @lendos: I run the LendOS release runbook. Type `@lendos help` to see what you can do; in this chat, start every command with @lendos.";
    case 'personal':
      return "👋 I'm @lendos: I run the LendOS release runbook. Type `help` to see what you can do; here you can leave out @lendos.";
  }
}
