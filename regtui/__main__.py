from regtui.entry import main

main()
