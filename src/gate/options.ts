import { Option, type Command } from 'commander';
import { splitNames, type Selection } from '../checks/select.js';
import { UsageError } from '../errors.js';
import { FAIL_ON_LEVELS, type FailOn, type GateConfig } from './config.js';

/** The CI-gate flags as commander parses them (shared by every command that reports checks). */
export interface GateFlags {
  failOn?: FailOn;
  only?: string[];
  skip?: string[];
  junit?: string;
  github?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  json?: boolean;
}

/** What a run does with its report, flags and config merged. */
export interface Gate {
  failOn: FailOn;
  selection: Selection;
  junit?: string;
  github: boolean;
  quiet: boolean;
  verbose: boolean;
  json: boolean;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** Adds --fail-on, --only, --skip, --junit, --github, --quiet and --verbose to a command that reports checks. */
export function addGateOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--fail-on <level>', 'what exits 1: failed or errored checks (fail, the default) or warnings too (warn)').choices(
        FAIL_ON_LEVELS,
      ),
    )
    .option('--only <ids>', 'run only these checks or sections (comma list, repeatable; campfire checks lists them)', collect)
    .option('--skip <ids>', 'leave out these checks or sections (comma list, repeatable)', collect)
    .option('--junit <file>', 'also write a JUnit XML report to FILE (for GitLab and GitHub test reports)')
    .option('--github', 'GitHub Actions output: masks, annotations, log groups, job summary (automatic when GITHUB_ACTIONS=true)')
    .option('--quiet', 'print only failures, warnings and the summary')
    .option('--verbose', "show passing checks' details and timings");
}

/**
 * Merges the flags over the config file's gate keys: a flag given on the command line replaces the file's
 * value for that key (the file holds the team's default, the flag is today's run).
 */
export function resolveGate(flags: GateFlags, config: GateConfig | undefined, env: NodeJS.ProcessEnv): Gate {
  if (flags.quiet && flags.verbose) throw new UsageError('--quiet and --verbose contradict each other: give one of them.');
  const only = flags.only !== undefined ? splitNames(flags.only) : config?.only;
  const skip = flags.skip !== undefined ? splitNames(flags.skip) : config?.skip;
  const selection: Selection = {
    only,
    skip,
    onlySource: flags.only !== undefined ? '--only' : 'config key "only"',
    skipSource: flags.skip !== undefined ? '--skip' : 'config key "skip"',
  };
  if (flags.junit !== undefined && flags.junit.trim() === '') throw new UsageError('--junit needs a file name, e.g. --junit reports/campfire.xml.');
  const gate: Gate = {
    failOn: flags.failOn ?? config?.failOn ?? 'fail',
    selection,
    github: Boolean(flags.github) || env.GITHUB_ACTIONS === 'true',
    quiet: Boolean(flags.quiet),
    verbose: Boolean(flags.verbose),
    json: Boolean(flags.json),
  };
  if (flags.junit !== undefined) gate.junit = flags.junit;
  return gate;
}
