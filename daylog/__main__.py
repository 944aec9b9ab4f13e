from daylog.cli import main

main()
