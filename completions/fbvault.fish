# fish completion for fbvault(1)
#
# Entry names come from `fbvault list --names-if-unlocked`, which prints
# names (never values) only when the vault opens without asking: a timed
# unlock or the desktop keyring. A locked vault completes no names, and Tab
# never prompts for a passphrase.

# Entry names of the vault named on the line (or the default one).
function __fbvault_names
    set -l tokens (commandline -opc)
    set -l args
    set -l i 2
    while test $i -le (count $tokens)
        switch $tokens[$i]
            case --vault
                set -a args --vault $tokens[(math $i + 1)]
            case '--vault=*' --no-keyring
                set -a args $tokens[$i]
        end
        set i (math $i + 1)
    end
    command $tokens[1] $args list --names-if-unlocked </dev/null 2>/dev/null
end

function __fbvault_pages
    __fbvault_names | string replace -rf '^page/' ''
end

# -e VAR=NAME: once the '=' is typed, VAR= followed by each entry name.
function __fbvault_specs
    set -l cur (commandline -ct)
    string match -q -- '*=*' $cur; or return
    set -l var (string split -m1 = -- $cur)[1]
    for name in (__fbvault_names)
        echo "$var=$name"
    end
end

# exec's program, then that program's own completion.
function __fbvault_exec_args
    set -l tokens (commandline -opc)
    set -l i (contains -i -- exec $tokens)
    set -l rest $tokens[(math $i + 1)..-1]
    while set -q rest[1]
        switch $rest[1]
            case --
                set -e rest[1]
                break
            case --page -e --min-ttl --vault --passphrase-fd
                set -e rest[1..2]
            case '-*'
                set -e rest[1]
            case '*'
                break
        end
    end
    if set -q rest[1]
        complete -C (string join ' ' -- (string escape -- $rest) (commandline -ct))
    else
        __fish_complete_command
    end
end

function __fbvault_exec_program_started
    set -l tokens (commandline -opc)
    set -l i (contains -i -- exec $tokens); or return 1
    for t in $tokens[(math $i + 1)..-1]
        switch $t
            case --
                return 0
            case '-*'
            case '*'
                return 0
        end
    end
    return 1
end

set -l commands init put get list rm passwd login status inspect post scheduled delete api exec env inject keyring unlock lock doctor identity recipients git-setup help check refresh log

complete -c fbvault -f

# Global options
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -l vault -r -F -d 'Use the vault at PATH'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -l passphrase-fd -x -d 'Read the passphrase from fd N'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -l new-passphrase-fd -x -d 'passwd: new passphrase from fd N'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -l no-keyring -d 'Do not use the desktop keyring'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -s h -l help -d 'Show help'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -s v -l version -d 'Show the version'

# Commands
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a init -d 'Create a vault'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a put -d 'Store a value read from stdin'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a get -d 'Print a value'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a list -d 'Names and metadata, never values'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a rm -d 'Remove an entry'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a passwd -d 'Set a new passphrase'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a login -d 'Store long-lived user and page tokens'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a status -d 'Every stored token and its expiry'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a inspect -d 'Ask /debug_token about a token'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a post -d 'Publish or schedule a post'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a scheduled -d "List a page's scheduled posts"
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a delete -d 'Delete a post or a scheduled post'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a api -d 'Call the Graph API with a stored token'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a exec -d 'Run a command with a page token'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a env -d "Print exec's variables"
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a inject -d 'Fill in a template'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a keyring -d 'Use the desktop keyring'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a unlock -d 'Keep the key for a while'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a lock -d 'Forget the timed-unlock key'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a doctor -d 'Check the vault and installation'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a help -d 'Show help'

# Options and arguments of each command
complete -c fbvault -n "__fish_seen_subcommand_from init passwd" -l kdf -x -a 'interactive moderate sensitive' -d 'Argon2id cost'
complete -c fbvault -n "__fish_seen_subcommand_from passwd" -l new-passphrase-fd -x -d 'New passphrase from fd N'
complete -c fbvault -n "__fish_seen_subcommand_from put" -s f -l force -d 'Replace an existing entry'
complete -c fbvault -n "__fish_seen_subcommand_from put" -l binary -d 'Keep every byte of stdin'
complete -c fbvault -n "__fish_seen_subcommand_from put; and __fish_contains_opt -s f force" -a '(__fbvault_names)' -d 'Entry'
complete -c fbvault -n "__fish_seen_subcommand_from get" -s n -l no-newline -d 'No trailing newline'
complete -c fbvault -n "__fish_seen_subcommand_from get rm inspect" -a '(__fbvault_names)' -d 'Entry'
complete -c fbvault -n "__fish_seen_subcommand_from list status inspect keyring doctor" -l json -d 'Print JSON'
complete -c fbvault -n "__fish_seen_subcommand_from login" -l app-id -x -d 'The App ID'
complete -c fbvault -n "__fish_seen_subcommand_from login" -l system-user -d 'A system-user token'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a check -d 'Ask Graph about every stored token'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a refresh -d 'Re-derive the page tokens'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a log -d 'Which command used which value, when'
complete -c fbvault -n "__fish_seen_subcommand_from check" -l warn -x -d 'Warn within DURATION'
complete -c fbvault -n "__fish_seen_subcommand_from check" -l notify -d 'Desktop notification'
complete -c fbvault -n "__fish_seen_subcommand_from check log" -l json -d 'Print JSON'
complete -c fbvault -n "__fish_seen_subcommand_from refresh" -l page -x -a '(__fbvault_pages)' -d 'Page id'
complete -c fbvault -n "__fish_seen_subcommand_from log" -l since -x -d 'Since TIME'
complete -c fbvault -n "__fish_seen_subcommand_from login exec env post scheduled delete api" -l page -x -a '(__fbvault_pages)' -d 'Page id'
complete -c fbvault -n "__fish_seen_subcommand_from post" -s m -l message -x -d 'The text of the post'
complete -c fbvault -n "__fish_seen_subcommand_from post" -l message-file -r -F -d 'Read the text from FILE'
complete -c fbvault -n "__fish_seen_subcommand_from post" -l link -x -d 'A link to share'
complete -c fbvault -n "__fish_seen_subcommand_from post" -l photo -r -F -d 'A photo file or URL'
complete -c fbvault -n "__fish_seen_subcommand_from post" -l at -x -d 'Schedule it (+2h, ISO 8601)'
complete -c fbvault -n "__fish_seen_subcommand_from post" -l dry-run -d 'Show the requests, send nothing'
complete -c fbvault -n "__fish_seen_subcommand_from post scheduled" -l json -d 'Print JSON'
complete -c fbvault -n "__fish_seen_subcommand_from delete" -l yes -d 'Do not ask'
complete -c fbvault -n "__fish_seen_subcommand_from api" -l token -x -a '(__fbvault_names)' -d 'The token stored as NAME'
complete -c fbvault -n "__fish_seen_subcommand_from api" -s X -x -a 'GET POST DELETE' -d 'The method'
complete -c fbvault -n "__fish_seen_subcommand_from api" -s f -x -d 'A string field KEY=VALUE'
complete -c fbvault -n "__fish_seen_subcommand_from api" -s F -x -d 'A file field KEY=@FILE'
complete -c fbvault -n "__fish_seen_subcommand_from api" -l paginate -d 'Follow paging.next'
complete -c fbvault -n "__fish_seen_subcommand_from api" -l show-secrets -d 'Do not redact the answer'
complete -c fbvault -n "__fish_seen_subcommand_from api" -s v -d 'Say which token is used'
complete -c fbvault -n "__fish_seen_subcommand_from exec env; and not __fbvault_exec_program_started" -s e -x -a '(__fbvault_specs)' -d 'VAR=NAME'
complete -c fbvault -n "__fish_seen_subcommand_from exec env; and not __fbvault_exec_program_started" -l min-ttl -x -d 'Refuse a token that expires sooner'
complete -c fbvault -n "__fish_seen_subcommand_from exec; and not __fbvault_exec_program_started" -l allow-nested -d 'Run inside another fbvault exec'
complete -c fbvault -n "__fish_seen_subcommand_from exec" -x -a '(__fbvault_exec_args)'
complete -c fbvault -n "__fish_seen_subcommand_from env" -l format -x -a 'shell dotenv json' -d 'Output format'
complete -c fbvault -n "__fish_seen_subcommand_from env" -l force -d 'Print to a terminal too'
complete -c fbvault -n "__fish_seen_subcommand_from inject" -s i -l input -r -F -d 'Template'
complete -c fbvault -n "__fish_seen_subcommand_from inject" -s o -l output -r -F -d 'Output file'
complete -c fbvault -n "__fish_seen_subcommand_from keyring" -x -a 'enable disable status'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a identity -d 'Make or show an X25519 identity file'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a recipients -d 'The vault\'s members'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -a git-setup -d 'Diff and merge drivers for git'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -l identity -r -F -d 'Open with this identity file'
complete -c fbvault -n "not __fish_seen_subcommand_from $commands" -l identity-fd -x -d 'Read an identity from this descriptor'
complete -c fbvault -n "__fish_seen_subcommand_from identity" -x -a 'new show'
complete -c fbvault -n "__fish_seen_subcommand_from identity" -s o -l output -r -F -d 'The new identity file'
complete -c fbvault -n "__fish_seen_subcommand_from recipients" -x -a 'add rm list'
complete -c fbvault -n "__fish_seen_subcommand_from recipients" -l name -x -d 'A label for the key'
complete -c fbvault -n "__fish_seen_subcommand_from recipients" -s R -r -F -d 'Add every key of FILE'
complete -c fbvault -n "__fish_seen_subcommand_from recipients" -l json -d 'Print JSON (list)'
complete -c fbvault -n "__fish_seen_subcommand_from passwd" -l remove -d 'Remove the passphrase slot'
complete -c fbvault -n "__fish_seen_subcommand_from unlock" -l for -x -d 'How long (15m, 8h)'
complete -c fbvault -n "__fish_seen_subcommand_from help" -x -a "$commands"
