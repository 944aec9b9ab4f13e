from daylog.cli.fast import main

main()
