from daylog.launcher import main

main()
