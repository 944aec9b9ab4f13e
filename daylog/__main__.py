from daylog.cli.app import main

main()
