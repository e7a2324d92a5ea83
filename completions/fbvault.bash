# bash completion for fbvault(1)
#
# Entry names come from `fbvault list --names-if-unlocked`, which prints
# names (never values) only when the vault opens without asking: a timed
# unlock or the desktop keyring. A locked vault completes no names, and Tab
# never prompts for a passphrase.

_fbvault_commands="init put get list rm passwd login status inspect post scheduled delete
	api exec env inject keyring unlock lock doctor identity recipients git-setup help
	check refresh log"
_fbvault_global_opts="--vault --passphrase-fd --new-passphrase-fd --identity --identity-fd --no-keyring --quiet --help --version"

_fbvault_cmd_opts()
{
	case $1 in
	init) printf '%s\n' --kdf ;;
	passwd) printf '%s\n' --kdf --remove ;;
	identity) printf '%s\n' -o --output ;;
	recipients) printf '%s\n' --name -R --json ;;
	put) printf '%s\n' -f --force --binary ;;
	get) printf '%s\n' -n --no-newline ;;
	list | status | inspect | keyring | doctor) printf '%s\n' --json ;;
	login) printf '%s\n' --app-id --page --system-user ;;
	check) printf '%s\n' --warn --notify --json ;;
	refresh) printf '%s\n' --page ;;
	log) printf '%s\n' --since --json ;;
	post) printf '%s\n' --page -m --message --message-file --link --photo --at --dry-run --json ;;
	scheduled) printf '%s\n' --page --json ;;
	delete) printf '%s\n' --page --yes ;;
	api) printf '%s\n' --page --token -X -f -F --paginate --show-secrets -v ;;
	exec) printf '%s\n' --page -e --min-ttl --allow-nested -- ;;
	env) printf '%s\n' --page -e --min-ttl --format --force ;;
	inject) printf '%s\n' -i --input -o --output ;;
	unlock) printf '%s\n' --for ;;
	esac
	printf '%s\n' --vault --no-keyring --help
}

# Entry names of the vault named on the line (or the default one).
_fbvault_names()
{
	local -a cmd=("$1")
	local i

	for ((i = 1; i < ${#_fbvault_words[@]}; i++)); do
		case ${_fbvault_words[i]} in
		--vault) cmd+=(--vault "${_fbvault_words[i + 1]}") ;;
		--vault=*) cmd+=("${_fbvault_words[i]}") ;;
		--no-keyring) cmd+=(--no-keyring) ;;
		esac
	done
	if command -v timeout >/dev/null 2>&1; then
		cmd=(timeout 5 "${cmd[@]}")
	fi
	"${cmd[@]}" list --names-if-unlocked </dev/null 2>/dev/null
}

# Rejoins what COMP_WORDBREAKS split off (= and :), so that "TOK=page/1"
# and names with colons are one word; sets _fbvault_words, _fbvault_cword.
_fbvault_rejoin()
{
	local i w n=-1

	_fbvault_words=()
	for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
		w=${COMP_WORDS[i]}
		if ((n >= 0 && i > 0)) && [[ $w == [=:] || ${COMP_WORDS[i - 1]} == [=:] ]]; then
			_fbvault_words[n]+=$w
		else
			_fbvault_words[++n]=$w
		fi
		((i == COMP_CWORD)) && _fbvault_cword=$n
	done
}

_fbvault_reply()
{
	local cur=$1 raw=$2 pre c
	shift 2
	pre=${cur%"$raw"}
	COMPREPLY=()
	for c in "$@"; do
		[[ $c == "$cur"* ]] && COMPREPLY+=("${c#"$pre"}")
	done
}

_fbvault()
{
	local raw=${COMP_WORDS[COMP_CWORD]} cur prev cmd="" i w bin=${COMP_WORDS[0]}
	local -a _fbvault_words cands
	local _fbvault_cword=0 force=no dashdash=no args=0

	_fbvault_rejoin
	cur=${_fbvault_words[_fbvault_cword]}
	prev=${_fbvault_words[_fbvault_cword - 1]}
	COMPREPLY=()

	case $prev in
	--vault | -i | --input | -o | --output | --message-file | --photo)
		mapfile -t COMPREPLY < <(compgen -f -- "$raw")
		return ;;
	--passphrase-fd | --new-passphrase-fd | --app-id | --for | --min-ttl | -m | --message | \
	--link | --at | -f | -F)
		return ;;
	-X)
		_fbvault_reply "$cur" "$raw" GET POST DELETE
		return ;;
	--token)
		mapfile -t cands < <(_fbvault_names "$bin")
		_fbvault_reply "$cur" "$raw" "${cands[@]}"
		return ;;
	--kdf)
		_fbvault_reply "$cur" "$raw" interactive moderate sensitive
		return ;;
	--format)
		_fbvault_reply "$cur" "$raw" shell dotenv json
		return ;;
	--page)
		mapfile -t cands < <(_fbvault_names "$bin" | sed -n 's|^page/||p')
		_fbvault_reply "$cur" "$raw" "${cands[@]}"
		return ;;
	-e)
		if [[ $cur == *=* ]]; then
			mapfile -t cands < <(_fbvault_names "$bin")
			_fbvault_reply "$cur" "$raw" "${cands[@]/#/${cur%%=*}=}"
		fi
		return ;;
	esac

	# The command: the first word that is not an option or an option's value.
	for ((i = 1; i < _fbvault_cword; i++)); do
		w=${_fbvault_words[i]}
		if [[ -n $cmd ]]; then
			case $w in
			-f | --force) force=yes ;;
			--) dashdash=yes ;;
			--vault | --passphrase-fd | --new-passphrase-fd | --kdf | --page | -e | \
			--min-ttl | --format | -i | --input | -o | --output | --for | --app-id | \
			-m | --message | --message-file | --link | --photo | --at | --token | -X | -f | -F)
				((i++)) ;;
			-*) ;;
			*) args=$((args + 1)) ;;
			esac
			[[ $cmd == exec && ( $dashdash == yes || $args -gt 0 ) ]] && break
			continue
		fi
		case $w in
		--vault | --passphrase-fd | --new-passphrase-fd) ((i++)) ;;
		-*) ;;
		*) cmd=$w ;;
		esac
	done

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			_fbvault_reply "$cur" "$raw" $_fbvault_global_opts
		else
			_fbvault_reply "$cur" "$raw" $_fbvault_commands
		fi
		return
	fi
	if [[ $cmd == exec && ( $dashdash == yes || $args -gt 0 ) ]]; then
		# i is at "--" or at the program: complete the program, then its
		# arguments as the program's own completion would.
		[[ $dashdash == yes ]] && ((i++))
		if ((i >= _fbvault_cword)); then
			mapfile -t COMPREPLY < <(compgen -c -- "$raw" | sort -u)
		elif declare -F _command_offset >/dev/null; then
			_command_offset "$i"
		else
			mapfile -t COMPREPLY < <(compgen -f -- "$raw")
		fi
		return
	fi
	if [[ $cur == -* ]]; then
		_fbvault_reply "$cur" "$raw" $(_fbvault_cmd_opts "$cmd")
		return
	fi
	case $cmd in
	get | rm | inspect)
		((args == 0)) || return
		mapfile -t cands < <(_fbvault_names "$bin")
		_fbvault_reply "$cur" "$raw" "${cands[@]}" ;;
	put)
		((args == 0)) && [[ $force == yes ]] || return
		mapfile -t cands < <(_fbvault_names "$bin")
		_fbvault_reply "$cur" "$raw" "${cands[@]}" ;;
	keyring)
		((args == 0)) && _fbvault_reply "$cur" "$raw" enable disable status ;;
	identity)
		((args == 0)) && _fbvault_reply "$cur" "$raw" new show ;;
	recipients)
		((args == 0)) && _fbvault_reply "$cur" "$raw" add rm list ;;
	help)
		((args == 0)) && _fbvault_reply "$cur" "$raw" $_fbvault_commands ;;
	exec)
		mapfile -t COMPREPLY < <(compgen -c -- "$raw" | sort -u) ;;
	esac
}

complete -F _fbvault fbvault
